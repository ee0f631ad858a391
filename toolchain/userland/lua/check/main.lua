-- The hook check's driver (toolchain/userland/lua/check-hook.sh): one case per run, named by
-- the first argument. Prints what it did; a file that runs prints its own line.
local case = arg[1]
local dir = arg[2] or "/tmp"          -- where unlisted files are written
local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end
package.path = dir .. "/?.lua;" .. package.path

if case == "listed" then
  dofile(arg[3] .. "/lib.lua")          -- listed scripts, loaded three ways
  assert(loadfile(arg[3] .. "/lib.lua"))()
  package.path = arg[3] .. "/?.lua;" .. package.path
  print("require:", require("mod").answer)
elseif case == "listed-binary" then
  -- a listed precompiled chunk: the checked descriptor is rewound, not re-opened by name
  dofile(arg[3] .. "/lib.luac")
elseif case == "dofile-unlisted" then
  write(dir .. "/unlisted.lua", 'print("UNLISTED RAN")\n')
  dofile(dir .. "/unlisted.lua")
elseif case == "loadfile-unlisted" then
  write(dir .. "/unlisted.lua", 'print("UNLISTED RAN")\n')
  local f, err = loadfile(dir .. "/unlisted.lua")
  print("loadfile:", f and "loaded" or err)
  if f then f() end
elseif case == "require-unlisted" then
  write(dir .. "/evilmod.lua", 'print("UNLISTED RAN") return {}\n')
  require("evilmod")
elseif case == "copy-of-listed" then
  -- a copy of listed content without an execute bit: EACCES, a Lua error naming the file
  local src = assert(io.open(arg[3] .. "/lib.lua")):read("a")
  write(dir .. "/copy.lua", src)
  print("dofile:", pcall(dofile, dir .. "/copy.lua"))
elseif case == "not-regular" then
  print("dofile:", pcall(dofile, "/dev/null"))
else
  error("unknown case " .. tostring(case))
end
print("AFTER " .. case)

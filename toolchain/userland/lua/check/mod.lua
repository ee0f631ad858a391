print("LISTED mod.lua ran")
return { answer = 42 }

print("LISTED lib.lua ran")

"""build, check and plan as short lists of the stages, with the speed machinery around them."""

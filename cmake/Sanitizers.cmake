# SEQDL_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for every target we build.
if(SEQDL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# SEQDL_FUZZ=ON: coverage instrumentation for libFuzzer plus ASan and UBSan everywhere (the fuzz targets link
# -fsanitize=fuzzer themselves: tests/fuzz/CMakeLists.txt).
if(SEQDL_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SEQDL_FUZZ needs clang (libFuzzer): use the `fuzz` preset or scripts/fuzz.sh")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

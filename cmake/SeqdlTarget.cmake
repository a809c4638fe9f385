# Helpers that give every seqdl target the same standard, warnings and include layout.

# Warnings for our own code only (third-party headers come in as system includes).
function(seqdl_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough
                         # GCC 12 reports "const char*" + std::string as an overlapping or oversized memcpy
                         # (GCC bugs 105651, 105329).
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict> $<$<CXX_COMPILER_ID:GNU>:-Wno-stringop-overflow>
                         # Designated initializers leave the other members defaulted on purpose.
                         -Wno-missing-field-initializers
                         # GCC notes a 2011 ABI change for 64-byte vectors passed by value: ours never cross
                         # a library boundary (one_hot_conv's SIMD helpers are internal).
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-psabi>)
endfunction()

# seqdl_library(NAME SOURCES ... DEPS ... [TORCH])
# One static library per lib/ layer, named seqdl_<NAME>, included as "<layer>/<header>.hpp".
# TORCH layers reuse one precompiled LibTorch header (see lib/torch_pch), which saves ~10 s per file.
function(seqdl_library name)
  cmake_parse_arguments(ARG "TORCH" "" "SOURCES;DEPS" ${ARGN})
  add_library(seqdl_${name} STATIC ${ARG_SOURCES})
  add_library(seqdl::${name} ALIAS seqdl_${name})
  target_include_directories(seqdl_${name} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(seqdl_${name} PUBLIC ${ARG_DEPS})
  seqdl_warnings(seqdl_${name})
  if(ARG_TORCH)
    seqdl_use_torch(seqdl_${name})
  endif()
endfunction()

# Link a target against LibTorch and, when enabled, the shared precompiled torch header.
function(seqdl_use_torch target)
  target_link_libraries(${target} PUBLIC torch)
  if(SEQDL_PCH)
    target_precompile_headers(${target} REUSE_FROM seqdl_torch_pch)
  endif()
endfunction()

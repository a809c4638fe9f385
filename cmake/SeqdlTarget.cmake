# Helpers that give every seqdl target the same standard, warnings and include layout, and that enforce the
# layering of DESIGN.md: a NO_TORCH library must not link LibTorch, directly or through a dependency.

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

# seqdl_library(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...] [TORCH | NO_TORCH])
# One shared library per lib/ layer (a folder may hold a torch-free and a LibTorch target), named seqdl_<NAME>,
# included as "<layer>/<header>.hpp". Shared, so that the `seqdl` binary (torch-free) and the LibTorch commands
# it loads on demand (apps/seqdl/torch_plugin.cpp) use one copy of each layer and its state (logging, provenance).
#   DEPS          dependencies that the library's headers expose (PUBLIC)
#   PRIVATE_DEPS  dependencies of its sources only
#   TORCH         links LibTorch and reuses the precompiled LibTorch header (see lib/torch_pch)
#   NO_TORCH      must not link LibTorch: checked at configure time by seqdl_check_layering()
function(seqdl_library name)
  cmake_parse_arguments(ARG "TORCH;NO_TORCH" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(ARG_TORCH AND ARG_NO_TORCH)
    message(FATAL_ERROR "seqdl_${name}: TORCH and NO_TORCH together")
  endif()
  add_library(seqdl_${name} SHARED ${ARG_SOURCES})
  add_library(seqdl::${name} ALIAS seqdl_${name})
  set_target_properties(seqdl_${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib)
  target_include_directories(seqdl_${name} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(seqdl_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  seqdl_warnings(seqdl_${name})
  if(ARG_TORCH)
    seqdl_use_torch(seqdl_${name})
  endif()
  if(ARG_NO_TORCH)
    set_property(GLOBAL APPEND PROPERTY SEQDL_NO_TORCH_TARGETS seqdl_${name})
  endif()
  install(TARGETS seqdl_${name} LIBRARY DESTINATION ${SEQDL_INSTALL_LIBDIR})
endfunction()

# Link a target against LibTorch and, when enabled, the shared precompiled torch header.
function(seqdl_use_torch target)
  target_link_libraries(${target} PUBLIC torch)
  if(SEQDL_PCH)
    target_precompile_headers(${target} REUSE_FROM seqdl_torch_pch)
    # GCC uses a precompiled header only with the -fpic/-fpie setting it was built with (-fPIC here); an
    # executable compiled -fPIE would parse <torch/torch.h> again in every file (~13 s each). -fPIC objects
    # link into a PIE executable as well.
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
      target_compile_options(${target} PRIVATE -fPIC)
    endif()
  endif()
endfunction()

# Every target `target` links, directly or through its dependencies (seqdl targets are followed; imported
# targets such as torch are followed through their INTERFACE_LINK_LIBRARIES).
function(seqdl_link_closure target out)
  set(seen "")
  set(queue ${target})
  while(queue)
    list(POP_FRONT queue t)
    if(t IN_LIST seen OR NOT TARGET ${t})
      continue()
    endif()
    list(APPEND seen ${t})
    get_target_property(aliased ${t} ALIASED_TARGET)
    if(aliased)
      list(APPEND queue ${aliased})
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    set(deps "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${t} LINK_LIBRARIES)
      if(direct)
        list(APPEND deps ${direct})
      endif()
    endif()
    get_target_property(interface ${t} INTERFACE_LINK_LIBRARIES)
    if(interface)
      list(APPEND deps ${interface})
    endif()
    foreach(d ${deps})
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" d "${d}")
      list(APPEND queue ${d})
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

# Fails the configuration when a NO_TORCH library reaches LibTorch (torch, torch_cpu, c10) through its links.
function(seqdl_check_layering)
  get_property(targets GLOBAL PROPERTY SEQDL_NO_TORCH_TARGETS)
  foreach(t ${targets})
    seqdl_link_closure(${t} closure)
    foreach(forbidden torch torch_cpu c10 seqdl_torch_pch)
      if(forbidden IN_LIST closure)
        message(FATAL_ERROR "${t} is a NO_TORCH layer (DESIGN.md) but links ${forbidden} through: ${closure}")
      endif()
    endforeach()
  endforeach()
endfunction()

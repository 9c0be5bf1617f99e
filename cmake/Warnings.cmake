# Compiler warnings and sanitizers for every target of the project (third-party headers come in as
# SYSTEM includes through their imported targets, so their warnings stay out).
add_compile_options(-Wall -Wextra -Wpedantic)
# GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string concatenation at -O2
# and above (GCC bug 105651); they would break -Werror builds on correct code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    add_compile_options(-Wno-restrict)
endif()
if(MFD_WERROR)
    add_compile_options(-Werror)
endif()
if(MFD_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
if(MFD_BUILD_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "MFD_BUILD_FUZZ needs clang (use the fuzz preset)")
    endif()
    # Every library linked into a fuzz target gets coverage instrumentation and the sanitizers.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()

# Adds a project library named mfd_<folder> with the alias mfd::<folder>.
function(mfd_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    add_library(mfd_${name} ${ARG_SOURCES})
    add_library(mfd::${name} ALIAS mfd_${name})
    target_include_directories(mfd_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(mfd_${name} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
endfunction()

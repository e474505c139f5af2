# pcapfilterBpf.cmake: compiling BPF C with the pcapfilter plugin, part of
# the installed CMake package (find_package(pcapfilter)). It is also the one
# place that knows which flags load the plugin into Clang major N: the build
# includes it to generate the pcapf CLI's --plugin-path/--bpf-cflags table
# and the pkg-config variables, so that the three cannot disagree.
#
#   pcapfilter_clang_flags(<plugin_var> <cflags_var> <major> <libdir>
#                          <includedir> <sysinc>)
#
# sets <plugin_var> to the file -fplugin= names for Clang <major> and
# <cflags_var> to the list of flags a BPF compile needs with that Clang.
# <libdir> and <includedir> may be placeholders ("${libdir}") that the
# pkg-config file and the CLI expand.
#
#   pcapfilter_bpf_object(<target> SOURCES <file.bpf.c>... [CLANG <clang>]
#                         [SKELETON] [INCLUDES <dir>...] [OPTIONS <flag>...])
#
# (package only) compiles each source with the plugin into
# <build dir>/<target>/<file.bpf>.o, and with SKELETON also runs
# `bpftool gen skeleton` on it into <file>.skel.h there. <target> is an
# INTERFACE library: linking a loader to it orders the build and adds the
# skeletons' directory to the loader's include path. Its properties
# PCAPFILTER_OBJECTS and PCAPFILTER_SKELETONS list the files. CLANG is a
# path or a name in PATH; by default the newest Clang the plugin is
# installed for (cache variable PCAPFILTER_CLANG).
include_guard(GLOBAL)

# Clang 18 added CodeGenOptions::PassBuilderCallbacks, through which a
# -fplugin= plugin adds its pass, so the loader (which opens the plugin for
# the running Clang) is enough. Before 18 the pass comes only from
# -fpass-plugin=, which calls llvmGetPassPluginInfo in the very file it
# names: both flags then name the plugin built for that Clang.
function(pcapfilter_clang_flags plugin_var cflags_var major libdir includedir sysinc)
  if(major GREATER_EQUAL 18)
    set(plugin ${libdir}/libpcapfilter.so)
    set(load -fplugin=${plugin})
  else()
    set(plugin ${libdir}/pcapfilter/clang-${major}/libpcapfilter.so)
    set(load -fplugin=${plugin} -fpass-plugin=${plugin})
  endif()
  # -idirafter: <linux/bpf.h> includes <asm/types.h>, which Debian keeps in
  # the multiarch directory, where -target bpf does not look.
  set(${plugin_var} ${plugin} PARENT_SCOPE)
  set(${cflags_var} -target bpf -O2 -g ${load} -I${includedir} -idirafter ${sysinc}
      PARENT_SCOPE)
endfunction()

# The major version of the Clang at path, from its --version line
# ("[Vendor ]clang version 19.1.7 ..."), or a fatal error.
function(pcapfilter_clang_major out clang)
  execute_process(COMMAND ${clang} --version OUTPUT_VARIABLE text
    RESULT_VARIABLE status ERROR_QUIET)
  if(NOT status EQUAL 0 OR NOT text MATCHES "clang version ([0-9]+)\\.")
    message(FATAL_ERROR "pcapfilter: '${clang} --version' does not say which Clang it is")
  endif()
  set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

function(pcapfilter_bpf_object target)
  cmake_parse_arguments(ARG "SKELETON" "CLANG" "SOURCES;INCLUDES;OPTIONS" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "pcapfilter_bpf_object(${target}): no SOURCES")
  endif()
  if(NOT DEFINED PCAPFILTER_CLANG_VERSIONS)
    message(FATAL_ERROR "pcapfilter_bpf_object() comes with find_package(pcapfilter)")
  endif()
  if(ARG_CLANG)
    set(clang ${ARG_CLANG})
  else()
    set(names)
    foreach(major ${PCAPFILTER_CLANG_VERSIONS})
      list(APPEND names clang-${major})
    endforeach()
    find_program(PCAPFILTER_CLANG NAMES ${names} clang
      DOC "The Clang that compiles BPF C with the pcapfilter plugin")
    if(NOT PCAPFILTER_CLANG)
      message(FATAL_ERROR "pcapfilter: none of ${names} or clang is installed")
    endif()
    set(clang ${PCAPFILTER_CLANG})
  endif()
  pcapfilter_clang_major(major ${clang})
  if(NOT major IN_LIST PCAPFILTER_CLANG_VERSIONS)
    string(REPLACE ";" ", " versions "${PCAPFILTER_CLANG_VERSIONS}")
    message(FATAL_ERROR "pcapfilter: ${clang} is Clang ${major}; the plugin is "
      "installed for Clang ${versions} (CLANG <path> chooses the Clang)")
  endif()
  pcapfilter_clang_flags(plugin flags ${major} ${PCAPFILTER_LIBDIR}
    ${PCAPFILTER_INCLUDEDIR} ${PCAPFILTER_BPF_SYSINC})
  if(ARG_SKELETON)
    find_program(PCAPFILTER_BPFTOOL bpftool PATHS /usr/sbin /sbin)
    if(NOT PCAPFILTER_BPFTOOL)
      message(FATAL_ERROR "pcapfilter_bpf_object(${target} SKELETON): bpftool not found")
    endif()
  endif()

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(objects)
  set(skeletons)
  foreach(dir_flag ${ARG_INCLUDES})
    list(APPEND flags -I${dir_flag})
  endforeach()
  foreach(source ${ARG_SOURCES})
    get_filename_component(source ${source} ABSOLUTE)
    get_filename_component(name ${source} NAME_WLE) # file.bpf
    set(object ${dir}/${name}.o)
    add_custom_command(OUTPUT ${object}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${clang} ${flags} ${ARG_OPTIONS} -MD -MF ${object}.d -c ${source} -o ${object}
      DEPENDS ${source} ${plugin}
      DEPFILE ${object}.d
      COMMENT "Compiling ${name}.c with the pcapfilter plugin (Clang ${major})"
      VERBATIM)
    list(APPEND objects ${object})
    if(ARG_SKELETON)
      get_filename_component(stem ${name} NAME_WLE) # file
      set(skeleton ${dir}/${stem}.skel.h)
      add_custom_command(OUTPUT ${skeleton}
        COMMAND sh -c "\"$0\" gen skeleton \"$1\" > \"$2.tmp\" && mv \"$2.tmp\" \"$2\""
                ${PCAPFILTER_BPFTOOL} ${object} ${skeleton}
        DEPENDS ${object}
        COMMENT "Generating ${stem}.skel.h"
        VERBATIM)
      list(APPEND skeletons ${skeleton})
    endif()
  endforeach()
  add_custom_target(${target}_build ALL DEPENDS ${objects} ${skeletons})
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_build)
  target_include_directories(${target} INTERFACE ${dir})
  set_target_properties(${target} PROPERTIES
    PCAPFILTER_OBJECTS "${objects}" PCAPFILTER_SKELETONS "${skeletons}")
endfunction()

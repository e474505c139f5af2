# Compiling BPF C with the pcapfilter plugin, for the examples and the
# tracing test (test/trace). Include it from each directory that needs it.
#
#   pcapf_bpf_object(OUT SOURCE [VMLINUX] [INCLUDES dir...] [FLAGS flag...])
#
# compiles SOURCE (relative to the calling directory) into OUT (an absolute
# path) with the plugin at -O2 -g, as examples/README.md shows by hand;
# FLAGS go to clang as they are.
# VMLINUX adds the directory of a vmlinux.h generated from the running
# kernel's BTF (tracing programs need the kernel's struct sk_buff).
include_guard(GLOBAL)

set(PCAPF_VMLINUX_BTF /sys/kernel/btf/vmlinux CACHE FILEPATH
    "Kernel BTF that vmlinux.h is generated from, for tracing programs")
find_program(PCAPF_BPFTOOL bpftool PATHS /usr/sbin /sbin)

# vmlinux.h: generated at build time, never committed. Without kernel BTF
# (or bpftool) at configure time, tracing programs are not built.
# (include_guard: the first directory to include this file defines these;
# they are global, internal cache entries so that the others see them.)
if(EXISTS ${PCAPF_VMLINUX_BTF} AND PCAPF_BPFTOOL)
  set(PCAPF_HAVE_VMLINUX ON CACHE INTERNAL "")
  set(PCAPF_VMLINUX_DIR ${CMAKE_BINARY_DIR}/vmlinux CACHE INTERNAL "")
  add_custom_command(
    OUTPUT ${PCAPF_VMLINUX_DIR}/vmlinux.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PCAPF_VMLINUX_DIR}
    COMMAND sh -c "\"$0\" btf dump file \"$1\" format c > \"$2.tmp\" && mv \"$2.tmp\" \"$2\""
            ${PCAPF_BPFTOOL} ${PCAPF_VMLINUX_BTF} ${PCAPF_VMLINUX_DIR}/vmlinux.h
    DEPENDS ${PCAPF_VMLINUX_BTF}
    COMMENT "Generating vmlinux.h from ${PCAPF_VMLINUX_BTF}"
    VERBATIM)
  add_custom_target(pcapf_vmlinux_h DEPENDS ${PCAPF_VMLINUX_DIR}/vmlinux.h)
else()
  set(PCAPF_HAVE_VMLINUX OFF CACHE INTERNAL "")
  message(WARNING "pcapfilter: no kernel BTF at ${PCAPF_VMLINUX_BTF} or no bpftool: "
    "the tracing example and test/trace's BPF object are not built")
endif()

function(pcapf_bpf_object out source)
  cmake_parse_arguments(ARG "VMLINUX" "" "INCLUDES;FLAGS" ${ARGN})
  set(flags ${ARG_FLAGS})
  set(deps ${source} pcapfilter_plugin)
  if(ARG_VMLINUX)
    list(APPEND flags -I${PCAPF_VMLINUX_DIR})
    list(APPEND deps pcapf_vmlinux_h ${PCAPF_VMLINUX_DIR}/vmlinux.h)
  endif()
  foreach(dir ${ARG_INCLUDES})
    list(APPEND flags -I${dir})
  endforeach()
  get_filename_component(name ${out} NAME)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${PCAPF_CLANG} -target bpf -O2 -g
            -fplugin=$<TARGET_FILE:pcapfilter_plugin>
            -I${CMAKE_SOURCE_DIR}/include ${flags} -idirafter ${PCAPF_BPF_SYSINC}
            -MD -MF ${out}.d
            -c ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${out}
    DEPENDS ${deps}
    DEPFILE ${out}.d
    COMMENT "Compiling ${source} with the pcapfilter plugin"
    VERBATIM)
endfunction()

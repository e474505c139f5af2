# pktrun: the packet and BPF test-run library shared by difftest (here),
# run-example (examples/) and the benchmarks. Include this file from every
# directory that needs it; it defines the targets once.
include_guard(GLOBAL)

find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET GLOBAL libbpf)

# Host C programs that use libbpf: its headers need GNU C (-std=gnu11).
function(pktrun_c_target target)
  set_target_properties(${target} PROPERTIES C_EXTENSIONS ON)
  target_compile_options(${target} PRIVATE -Wall -Wextra ${PCAPF_SANITIZE_FLAGS})
  target_link_options(${target} PRIVATE ${PCAPF_SANITIZE_FLAGS})
endfunction()

add_library(pktrun STATIC
  ${CMAKE_CURRENT_LIST_DIR}/pktrun.c
  ${CMAKE_CURRENT_LIST_DIR}/pktrun_bpf.c)
target_include_directories(pktrun PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(pktrun PUBLIC PkgConfig::LIBBPF PkgConfig::PCAP)
pktrun_c_target(pktrun)

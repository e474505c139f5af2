# For flags.test: what packaging/pcapfilterBpf.cmake gives for each Clang
# major, and the major it reads from a Clang's --version.
#   cmake -DSRC=<source dir> -DFAKE_CLANG=<script> -P print-flags.cmake
include(${SRC}/packaging/pcapfilterBpf.cmake)
foreach(major 14 15 16 17 18 19 20 21)
  pcapfilter_clang_flags(plugin flags ${major} /L /I /S)
  list(JOIN flags " " flags)
  message("${major}: ${plugin} | ${flags}")
endforeach()
pcapfilter_clang_major(major ${FAKE_CLANG})
message("fake: ${major}")

# lit configuration for pcapfilter's compile-level suites:
#   runtime/      the translator's analysis, through the pcapf CLI
#   diagnostics/  every Clang diagnostic of the plugin (clang -verify)
#   codegen/      IR and BPF assembly of generated stubs
#   btf/          BTF and line info of the objects
import os
import lit.formats

config.name = "pcapfilter"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pcapf_obj_root, "test")
# Kernel-level test programs live beside the suites; CTest runs them.
config.excludes = ["kernel", "unit", "skb", "trace", "inject", "fuzz", "corpus", "lit.cfg.py", "CMakeLists.txt"]
# Files that tests compile, not tests themselves.
config.excludes.append("Inputs")

tools = config.llvm_tools_dir
clang = os.path.join(tools, "clang")
includes = "-I{}/include -idirafter {}".format(config.pcapf_src_root, config.bpf_sysinc)
plugin = "-fplugin=" + config.pcapf_plugin

config.substitutions.append(("%clang_bpf", "{} -target bpf {} {}".format(clang, plugin, includes)))
# Debian 12's default clang, to load the plugin into a Clang it is not built
# for (diagnostics/wrong-clang*.c; scripts/setup.sh installs it).
config.substitutions.append(("%clang14_bpf", "clang-14 -target bpf {} {}".format(plugin, includes)))
# The plugin the loader (%plugin) opens, for Clang %llvm_major.
config.substitutions.append(("%versioned_plugin", config.pcapf_clang_plugin))
config.substitutions.append(("%version_check_test_plugin", config.pcapf_version_check_test))
config.substitutions.append(("%llvm_major", config.llvm_version_major))
config.substitutions.append(("%clang_noplugin", "{} -target bpf {}".format(clang, includes)))
config.substitutions.append(("%clang", clang))
config.substitutions.append(("%plugin", config.pcapf_plugin))
config.substitutions.append(("%pcapf", config.pcapf_cli))
config.substitutions.append(("FileCheck", os.path.join(tools, "FileCheck")))
config.substitutions.append(("llvm-objdump", os.path.join(tools, "llvm-objdump")))
config.substitutions.append(("not ", os.path.join(tools, "not") + " "))
config.environment["PATH"] = os.pathsep.join([tools, config.environment.get("PATH", os.environ.get("PATH", ""))])

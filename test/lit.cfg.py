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

# The Clang under test: the primary one (the project's, whose tools lit
# uses), or with --param clang=N another the plugin is built for. Each
# Clang's suite runs in its own directory.
primary = config.llvm_version_major
major = lit_config.params.get("clang", primary)
if major not in config.pcapf_clangs:
    lit_config.fatal("no plugin is built for Clang {} (built: {}; PCAPF_CLANG_VERSIONS)".format(
        major, ", ".join(sorted(config.pcapf_clangs))))
if major != primary:
    config.name += "-clang" + major
    config.test_exec_root = os.path.join(config.test_exec_root, "clang-" + major)
config.available_features.add("clang-" + major)

tools = config.llvm_tools_dir
includes = "-I{}/include -idirafter {}".format(config.pcapf_src_root, config.bpf_sysinc)


def plugin_flags(version):
    """The flags users of Clang `version` load the plugin with: the loader
    from Clang 18, before it the versioned plugin as a pass plugin too
    (plugin/PassPluginEntry.cpp)."""
    clang_file, versioned_file = config.pcapf_clangs[version]
    if int(version) >= 18:
        return "-fplugin=" + config.pcapf_plugin
    return "-fplugin={0} -fpass-plugin={0}".format(versioned_file)


# Every Clang the plugin is built for, for the tests that load one Clang's
# plugin into another (diagnostics/wrong-clang*): %clang_vN, %plugin_vN
# (its versioned plugin) and feature plugin-vN. Before "%clang".
for version, (clang_file, versioned_file) in config.pcapf_clangs.items():
    config.available_features.add("plugin-v" + version)
    config.substitutions.append(("%clang_v" + version, clang_file))
    config.substitutions.append(("%plugin_v" + version, versioned_file))

clang, versioned = config.pcapf_clangs[major]
plugin = plugin_flags(major)
if int(major) < 18:
    # Before Clang 18: the pass plugin, context loads as inline asm (no
    # llvm.bpf.getelementptr.and.load), no [[pcap_filter(...)]].
    config.available_features.add("pass-plugin")
    config.available_features.add("clang-lt-18")

config.substitutions.append(("%clang_bpf", "{} -target bpf {} {}".format(clang, plugin, includes)))
# The flags that load the plugin into the Clang under test.
config.substitutions.append(("%plugin_flags", plugin))
# The FileCheck prefix of a context field's load: CTX-GEP from Clang 18
# (llvm.bpf.getelementptr.and.load), CTX-ASM before (an inline asm load).
config.substitutions.append(("%ctx_load", "CTX-GEP" if int(major) >= 18 else "CTX-ASM"))
# The FileCheck prefix of IR whose shape depends on the pointer type:
# TYPED for Clang 14 (typed pointers, `i8*`), OPAQUE from 15 (`ptr`).
config.substitutions.append(("%ir_pointers", "TYPED" if int(major) < 15 else "OPAQUE"))
# The file -fplugin= takes for the Clang under test (pcapf --plugin-path).
config.substitutions.append(("%plugin_file", config.pcapf_plugin if int(major) >= 18 else versioned))
# The plugin the loader (%plugin) opens for the Clang under test (%llvm_major).
config.substitutions.append(("%versioned_plugin", versioned))
config.substitutions.append(("%version_check_test_plugin", config.pcapf_version_check_test))
# Where a test pins a loaded program: one directory per Clang, so CTest can
# run the suites of two Clangs at once.
config.substitutions.append(("%bpf_pin", "/sys/fs/bpf/pcapf_lit_clang" + major))
config.substitutions.append(("%llvm_major", major))
config.substitutions.append(("%clang_noplugin", "{} -target bpf {}".format(clang, includes)))
config.substitutions.append(("%clang", clang))
config.substitutions.append(("%plugin", config.pcapf_plugin))
config.substitutions.append(("%pcapf", config.pcapf_cli))
config.substitutions.append(("FileCheck", os.path.join(tools, "FileCheck")))
config.substitutions.append(("llvm-objdump", os.path.join(tools, "llvm-objdump")))
config.substitutions.append(("not ", os.path.join(tools, "not") + " "))
config.environment["PATH"] = os.pathsep.join([tools, config.environment.get("PATH", os.environ.get("PATH", ""))])

// libkv and its tests need Linux (network namespaces, Unix file modes, the CNI plugins).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// CNI is a Linux interface (network namespaces, Unix file modes): say so once for the analyzers.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

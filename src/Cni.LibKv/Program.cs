using ContivKsr.Cni.Cni;
using ContivKsr.Cni.LibKv;

return CniSkel.Run(
    new LibKvPlugin(KvReaders.Open),
    Environment.GetEnvironmentVariable,
    Console.OpenStandardInput(),
    new StandardOutput());

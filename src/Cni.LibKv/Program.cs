using ContivKsr.Cni.Cni;
using ContivKsr.Cni.LibKv;
using ContivKsr.Kv.Stores;

return CniSkel.Run(
    new LibKvPlugin(KvReaders.Open),
    Environment.GetEnvironmentVariable,
    Console.OpenStandardInput(),
    new StandardOutput());

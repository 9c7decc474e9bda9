namespace ContivKsr.Ksr.Keys;

public enum KeyLayoutKind
{
    /// <summary>The seed's layout: pods and policies nest under their namespace's key.</summary>
    Nested,

    /// <summary>Later contiv versions' layout: <c>k8s/pod/{pod}/namespace/{ns}</c>, one prefix per kind.</summary>
    Flat,
}

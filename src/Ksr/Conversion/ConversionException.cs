namespace ContivKsr.Ksr.Conversion;

/// <summary>A Kubernetes object that cannot be expressed in the KSR model (e.g. an unknown selector operator).</summary>
public sealed class ConversionException(string message) : Exception(message);

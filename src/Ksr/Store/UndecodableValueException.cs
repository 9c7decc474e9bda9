namespace ContivKsr.Ksr.Store;

/// <summary>A stored value that is no value of its kind's model: not JSON or protobuf, or holding a field the model lacks.</summary>
public sealed class UndecodableValueException(string message, Exception? inner = null) : Exception(message, inner);

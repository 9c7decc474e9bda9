namespace ContivKsr.Ksr.Config;

/// <summary>A configuration the daemon cannot start with; its message is shown to the operator as is.</summary>
public sealed class ConfigException(string message, Exception? innerException = null) : Exception(message, innerException);

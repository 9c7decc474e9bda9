namespace ContivKsr.Ksr.Store;

public enum ValueFormat
{
    /// <summary>proto3 JSON with the .proto field names and enum names: what contiv's agents read.</summary>
    Json,

    /// <summary>Binary protobuf.</summary>
    Binary,
}

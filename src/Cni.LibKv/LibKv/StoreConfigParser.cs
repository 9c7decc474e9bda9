using System.Text.Json.Nodes;
using ContivKsr.Kv;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// Reads <c>storeConfig</c>: <c>connectionTimeout</c> (seconds), <c>username</c>/<c>password</c>,
/// <c>token</c>, and TLS as <c>tls: {caFile, certFile, keyFile, insecureSkipVerify}</c> or, as the
/// Go libkv spelled it, <c>clientTLS: {caCertFile, certFile, keyFile}</c>.
/// </summary>
internal static class StoreConfigParser
{
    private const string Where = "libkv config storeConfig";

    public static KvStoreConfig Parse(string backend, string uri, JsonObject storeConfig)
    {
        IReadOnlyList<string> endpoints;
        try
        {
            endpoints = KvStoreConfig.ParseEndpoints(uri);
        }
        catch (KvInvalidConfigException e)
        {
            throw JsonFields.Invalid($"libkv config 'uri': {e.Message}");
        }

        var timeout = JsonFields.Number(storeConfig, "connectionTimeout", Where);
        if (timeout is <= 0 or > 600)
        {
            throw JsonFields.Invalid($"{Where}: 'connectionTimeout' must be between 0 and 600 seconds");
        }

        return new KvStoreConfig
        {
            Backend = backend,
            Endpoints = endpoints,
            ConnectionTimeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : KvStoreConfig.DefaultConnectionTimeout,
            Username = JsonFields.String(storeConfig, "username", Where),
            Password = JsonFields.String(storeConfig, "password", Where),
            Token = JsonFields.String(storeConfig, "token", Where),
            Tls = ParseTls(storeConfig),
        };
    }

    private static KvTlsConfig? ParseTls(JsonObject storeConfig)
    {
        if (JsonFields.Object(storeConfig, "tls", Where) is { } tls)
        {
            return new KvTlsConfig
            {
                CaFile = JsonFields.String(tls, "caFile", Where + ".tls"),
                CertFile = JsonFields.String(tls, "certFile", Where + ".tls"),
                KeyFile = JsonFields.String(tls, "keyFile", Where + ".tls"),
                InsecureSkipVerify = JsonFields.Bool(tls, "insecureSkipVerify", Where + ".tls") ?? false,
            };
        }

        if (JsonFields.Object(storeConfig, "clientTLS", Where) is { } goTls)
        {
            return new KvTlsConfig
            {
                CaFile = JsonFields.String(goTls, "caCertFile", Where + ".clientTLS"),
                CertFile = JsonFields.String(goTls, "certFile", Where + ".clientTLS"),
                KeyFile = JsonFields.String(goTls, "keyFile", Where + ".clientTLS"),
            };
        }

        return null;
    }
}

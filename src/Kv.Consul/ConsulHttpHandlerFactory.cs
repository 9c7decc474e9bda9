using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ContivKsr.Kv.Consul;

/// <summary>Builds the HTTP handler: bounded connect time, and the TLS settings of the store config.</summary>
internal static class ConsulHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KvStoreConfig config, int endpointCount)
    {
        var handler = new SocketsHttpHandler
        {
            // Share the connection timeout between the endpoints so that failing over through a list of
            // black-holed hosts still ends within the one bound the caller configured.
            ConnectTimeout = TimeSpan.FromTicks(Math.Max(
                TimeSpan.FromMilliseconds(250).Ticks,
                config.ConnectionTimeout.Ticks / Math.Max(1, endpointCount))),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            UseCookies = false,
            AllowAutoRedirect = false,
        };

        if (config.Tls is { } tls)
        {
            handler.SslOptions = CreateSslOptions(tls);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(KvTlsConfig tls)
    {
        var options = new SslClientAuthenticationOptions();
        if (tls.CertFile is not null || tls.KeyFile is not null)
        {
            if (tls.CertFile is null || tls.KeyFile is null)
            {
                throw new KvInvalidConfigException("a TLS client certificate needs both a cert file and a key file");
            }

            options.ClientCertificates = [LoadClientCertificate(tls.CertFile, tls.KeyFile)];
        }

        if (tls.InsecureSkipVerify)
        {
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (tls.CaFile is not null)
        {
            var authorities = LoadCertificates(tls.CaFile);
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                IsTrustedByCa(certificate, errors, authorities);
        }

        return options;
    }

    /// <summary>Verifies the server against the configured CA only (not the system store), and its name.</summary>
    private static bool IsTrustedByCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                throw new KvInvalidConfigException($"cannot load TLS CA file '{path}': it holds no PEM certificate");
            }

            return collection;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new KvInvalidConfigException($"cannot load TLS CA file '{path}': {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // SslStream on Linux needs the key in an exportable, non-ephemeral form.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new KvInvalidConfigException($"cannot load TLS client certificate '{certFile}' with key '{keyFile}': {e.Message}", e);
        }
    }
}

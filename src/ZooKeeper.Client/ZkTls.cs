using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ContivKsr.Kv;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>TLS for ZooKeeper's secureClientPort, from the PEM files of <see cref="KvTlsConfig"/>.</summary>
internal sealed class ZkTls
{
    private readonly X509Certificate2Collection? trustedRoots;
    private readonly X509Certificate2? clientCertificate;
    private readonly bool insecureSkipVerify;

    private ZkTls(X509Certificate2Collection? trustedRoots, X509Certificate2? clientCertificate, bool insecureSkipVerify)
    {
        this.trustedRoots = trustedRoots;
        this.clientCertificate = clientCertificate;
        this.insecureSkipVerify = insecureSkipVerify;
    }

    /// <exception cref="KvInvalidConfigException">A file is missing or not PEM.</exception>
    public static ZkTls? From(KvTlsConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        if ((config.CertFile is null) != (config.KeyFile is null))
        {
            throw new KvInvalidConfigException("TLS client authentication needs both a certificate and a key file");
        }

        var roots = config.CaFile is null ? null : LoadCaCertificates(config.CaFile);
        var client = config.CertFile is null ? null : LoadClientCertificate(config.CertFile, config.KeyFile!);
        return new ZkTls(roots, client, config.InsecureSkipVerify);
    }

    public SslClientAuthenticationOptions ClientOptions(string host)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = host };
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
        }

        if (insecureSkipVerify)
        {
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (trustedRoots is not null)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,

                // Like Go and Java clients with a private CA: there is no CRL or OCSP to ask.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        }

        return options;
    }

    private static X509Certificate2Collection LoadCaCertificates(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new KvInvalidConfigException($"cannot load TLS CA file '{caFile}': {e.Message}", e);
        }

        return roots.Count > 0 ? roots : throw new KvInvalidConfigException($"TLS CA file '{caFile}' holds no PEM certificate");
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new KvInvalidConfigException($"cannot load TLS client certificate '{certFile}' with key '{keyFile}': {e.Message}", e);
        }
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>TLS for ZooKeeper's secureClientPort, from PEM files.</summary>
public sealed class ZkTls
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

    /// <param name="caFile">CA certificates that replace the system's roots; null for the system's.</param>
    /// <param name="certFile">The client certificate, with <paramref name="keyFile"/>; both null for none.</param>
    /// <param name="insecureSkipVerify">Accept any server certificate (tests only).</param>
    /// <exception cref="ArgumentException">A file is missing or not PEM, or only one of cert and key is given.</exception>
    public static ZkTls FromPemFiles(string? caFile, string? certFile, string? keyFile, bool insecureSkipVerify = false)
    {
        if ((certFile is null) != (keyFile is null))
        {
            throw new ArgumentException("TLS client authentication needs both a certificate and a key file");
        }

        var roots = caFile is null ? null : LoadCaCertificates(caFile);
        var client = certFile is null || keyFile is null ? null : LoadClientCertificate(certFile, keyFile);
        return new ZkTls(roots, client, insecureSkipVerify);
    }

    internal SslClientAuthenticationOptions ClientOptions(string host)
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
            throw new ArgumentException($"cannot load TLS CA file '{caFile}': {e.Message}", e);
        }

        return roots.Count > 0 ? roots : throw new ArgumentException($"TLS CA file '{caFile}' holds no PEM certificate");
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"cannot load TLS client certificate '{certFile}' with key '{keyFile}': {e.Message}", e);
        }
    }
}

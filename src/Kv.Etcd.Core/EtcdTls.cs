using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ContivKsr.Kv.Etcd.Core;

/// <summary>Builds the TLS client options from PEM files, failing at open time (not at the first call) on bad files.</summary>
public static class EtcdTls
{
    /// <param name="tls">The PEM files; null for TLS with the system's roots and no client certificate.</param>
    /// <param name="protocol">What to ask for by ALPN: etcd's client port serves gRPC (HTTP/2) and its HTTP/1.1 APIs alike and picks by it.</param>
    /// <exception cref="KvInvalidConfigException">A file is missing or not PEM, or only one of cert/key is given.</exception>
    public static SslClientAuthenticationOptions Build(KvTlsConfig? tls, SslApplicationProtocol protocol)
    {
        var options = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [protocol],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        if (tls is null)
        {
            return options;
        }

        if (string.IsNullOrEmpty(tls.CertFile) != string.IsNullOrEmpty(tls.KeyFile))
        {
            throw new KvInvalidConfigException("TLS client authentication needs both a certificate file and a key file");
        }

        if (tls.CertFile is { Length: > 0 } certFile && tls.KeyFile is { Length: > 0 } keyFile)
        {
            options.ClientCertificates = [LoadClientCertificate(certFile, keyFile)];
        }

        if (tls.InsecureSkipVerify)
        {
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (!string.IsNullOrEmpty(tls.CaFile))
        {
            var roots = LoadCaCertificates(tls.CaFile);
            options.RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
                certificate is not null && IsSignedByRoots(certificate, presented, roots, errors);
        }

        return options;
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new KvInvalidConfigException($"cannot load TLS client certificate '{certFile}' with key '{keyFile}': {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadCaCertificates(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new KvInvalidConfigException($"cannot load TLS CA file '{caFile}': {e.Message}", e);
        }

        if (roots.Count == 0)
        {
            throw new KvInvalidConfigException($"TLS CA file '{caFile}' holds no PEM certificate");
        }

        return roots;
    }

    /// <summary>The configured CA replaces the system roots (as etcdctl's --cacert does); the host name must still match.</summary>
    private static bool IsSignedByRoots(X509Certificate certificate, X509Chain? presented, X509Certificate2Collection roots, SslPolicyErrors errors)
    {
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the server sent along may link its certificate to the configured CA.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}

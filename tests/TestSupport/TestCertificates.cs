using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ContivKsr.TestSupport;

/// <summary>
/// A throw-away PKI for TLS tests against local servers (etcd, ZooKeeper, the Consul emulator):
/// a CA, a server certificate for localhost/127.0.0.1 and a client certificate, both signed by the
/// CA, plus an unrelated CA that signed nothing (trusting it must fail the handshake). Available as
/// objects and as PEM files (unencrypted PKCS#8 keys), the way an operator hands them to servers.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory? ownDirectory;

    /// <param name="directory">Where to write the PEM files; a temp dir removed on dispose when null.</param>
    public TestCertificates(string? directory = null)
    {
        if (directory is null)
        {
            ownDirectory = new TempDirectory("certs-");
            directory = ownDirectory.Path;
        }

        using var caKey = RSA.Create(2048);
        Authority = CreateAuthority("ContivKsr test CA", caKey);
        using var otherKey = RSA.Create(2048);
        using var other = CreateAuthority("Unrelated CA", otherKey);

        Server = Issue("CN=localhost", serverAuth: true, out var serverKeyPem);
        Client = Issue("CN=contivksr-client", serverAuth: false, out var clientKeyPem);

        CaFile = Write(directory, "ca.pem", Authority.ExportCertificatePem());
        OtherCaFile = Write(directory, "other-ca.pem", other.ExportCertificatePem());
        ServerCertFile = Write(directory, "server.pem", Server.ExportCertificatePem());
        ServerKeyFile = Write(directory, "server-key.pem", serverKeyPem);
        ClientCertFile = Write(directory, "client.pem", Client.ExportCertificatePem());
        ClientKeyFile = Write(directory, "client-key.pem", clientKeyPem);
    }

    public X509Certificate2 Authority { get; }

    /// <summary>Server certificate with its private key, valid for localhost and 127.0.0.1.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Client certificate with its private key.</summary>
    public X509Certificate2 Client { get; }

    public string CaFile { get; }

    /// <summary>A CA that signed nothing here.</summary>
    public string OtherCaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    public static TestCertificates Create(string? directory = null) => new(directory);

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
        ownDirectory?.Dispose();
    }

    private static X509Certificate2 CreateAuthority(string name, RSA key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // The CA outlives what it issues: a leaf may not expire after its issuer.
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2));
    }

    private X509Certificate2 Issue(string subject, bool serverAuth, out string keyPem)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        // The server certificate may also authenticate as a client: etcd's JSON gateway dials etcd's
        // own gRPC port with it, so a --client-cert-auth etcd needs both usages (etcd's security docs).
        OidCollection usages = serverAuth ? [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")] : [new Oid("1.3.6.1.5.5.7.3.2")];
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        keyPem = key.ExportPkcs8PrivateKeyPem();
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12 so that the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static string Write(string directory, string name, string pem)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, pem);
        return path;
    }
}

using System.Net;

namespace ContivKsr.Kv.Consul;

/// <summary>A whole Consul answer: status, body, and the X-Consul-Index header (0 when absent).</summary>
internal sealed record ConsulResponse(HttpStatusCode Status, byte[] Body, ulong Index)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body).Trim();
}

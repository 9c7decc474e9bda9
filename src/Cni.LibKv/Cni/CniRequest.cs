using System.Text.Json.Nodes;

namespace ContivKsr.Cni.Cni;

/// <summary>One invocation: the checked environment and the network configuration from stdin.</summary>
/// <param name="Config">The whole stdin object, unknown fields included.</param>
/// <param name="CniVersion">The config's cniVersion, known to be supported.</param>
public sealed record CniRequest(CniEnvironment Environment, JsonObject Config, string CniVersion);

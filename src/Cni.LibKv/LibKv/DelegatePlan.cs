using System.Text.Json.Nodes;

namespace ContivKsr.Cni.LibKv;

/// <summary>One element of the stored array, checked and ready to run.</summary>
/// <param name="Index">Position in the stored array; 0 is the main NetConf whose result libkv prints.</param>
/// <param name="Type">The delegate plugin's executable name.</param>
/// <param name="IfName">CNI_IFNAME for this delegate.</param>
/// <param name="CniVersion">The version the delegate is asked to speak (its own, else libkv's).</param>
/// <param name="Conf">The element as stored, plus the parent's name and cniVersion where it had none.</param>
public sealed record DelegatePlan(int Index, string Type, string IfName, string CniVersion, JsonObject Conf);

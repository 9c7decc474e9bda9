using k8s.Models;
using NamespaceModel = ContivKsr.Ksr.Model.Namespace.Namespace;

namespace ContivKsr.Ksr.Conversion;

public static class NamespaceConverter
{
    public static NamespaceModel Convert(V1Namespace ns)
    {
        var model = new NamespaceModel { Name = ns.Metadata?.Name ?? "" };
        foreach (var (key, value) in SortedLabels.Of(ns.Metadata?.Labels))
        {
            model.Label.Add(new NamespaceModel.Types.Label { Key = key, Value = value ?? "" });
        }

        return model;
    }
}

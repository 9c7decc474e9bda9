namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>Kubernetes object JSON for the end-to-end tests, as a client would send it.</summary>
internal static class Objects
{
    public static string Namespace(string name, string team = "a") => $$$"""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}","labels":{"team":"{{{team}}}"} } }
        """;

    public static string Pod(string ns, string name, string ip, string app = "web", string? extraAnnotation = null)
    {
        var extra = extraAnnotation is null ? "" : $",\"other.io/note\":\"{extraAnnotation}\"";
        return $$$"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"app":"{{{app}}}"},
                     "annotations":{"contivpp.io/custom-if":"memif1"{{{extra}}}}},
         "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
         "status":{"phase":"Running","hostIP":"192.168.16.10","podIP":"{{{ip}}}"}}
        """;
    }

    public static string Policy(string ns, string name, string role = "db") => $$$"""
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"podSelector":{"matchLabels":{"role":"{{{role}}}"}},"policyTypes":["Ingress"],
                 "ingress":[{"from":[{"podSelector":{"matchLabels":{"role":"frontend"} } }],"ports":[{"protocol":"TCP","port":6379}]}]}}
        """;

    public static string Service(string ns, string name, int port = 80) => $$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","selector":{"app":"web"},"ports":[{"name":"http","protocol":"TCP","port":{{{port}}},"targetPort":8080}]}}
        """;

    public static string Endpoints(string ns, string name, string ip) => $$$"""
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "subsets":[{"addresses":[{"ip":"{{{ip}}}"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}
        """;

    public static string Node(string name, string ip) => $$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}"},
         "spec":{"podCIDR":"10.1.1.0/24"},"status":{"addresses":[{"type":"InternalIP","address":"{{{ip}}}"}]}}
        """;
}

using System.Text.Json.Nodes;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

/// <summary>The C# side of the fake that tests use to set up and inspect the cluster.</summary>
public sealed class StoreApiTests : FakeKubeTestBase
{
    [Fact]
    public void Replacing_keeps_uid_and_creation_time_and_grows_the_resource_version()
    {
        var first = JsonNode.Parse(Server.Apply(PodJson("default", "a", "v1")))!["metadata"]!;
        var second = JsonNode.Parse(Server.Apply(PodJson("default", "a", "v2")))!["metadata"]!;

        Assert.Equal(((string?)first["uid"], (string?)first["creationTimestamp"]), ((string?)second["uid"], (string?)second["creationTimestamp"]));
        Assert.Equal(("1", "2"), ((string?)first["resourceVersion"], (string?)second["resourceVersion"]));
        Assert.Equal("v2", (string?)second["labels"]!["app"]);
    }

    [Fact]
    public void A_model_without_kind_gets_it_from_its_type_and_a_missing_namespace_is_default()
    {
        Server.Apply(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
        Server.Apply(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" } });
        Server.Apply(new V1NetworkPolicy { Metadata = new V1ObjectMeta { Name = "n", NamespaceProperty = "shop" }, Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector() } });

        Assert.StartsWith("""{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"shop",""", Assert.Single(Server.List("namespaces")));
        Assert.Equal("default", (string?)JsonNode.Parse(Assert.Single(Server.List("pods")))!["metadata"]!["namespace"]);
        Assert.StartsWith("""{"kind":"NetworkPolicy","apiVersion":"networking.k8s.io/v1",""", Assert.Single(Server.List("networkpolicies")));
    }

    [Fact]
    public void Delete_reports_whether_there_was_an_object_and_bumps_the_version()
    {
        Server.Apply(PodJson("default", "a"));

        Assert.True(Server.Delete("pods", "default", "a"));
        Assert.False(Server.Delete("pods", "default", "a"));
        Assert.Equal(2L, Server.CurrentResourceVersion);
        Assert.Empty(Server.List("pods"));
    }

    [Fact]
    public void Get_returns_the_stored_json_or_null()
    {
        var stored = Server.Apply(PodJson("shop", "a"));
        Server.Apply("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"w1"}}""");

        Assert.Equal(stored, Server.Get("pods", "shop", "a"));
        Assert.Null(Server.Get("pods", "default", "a"));
        Assert.NotNull(Server.Get("nodes", null, "w1"));
    }

    [Fact]
    public void List_is_in_namespace_then_name_order()
    {
        Server.ApplyMany([PodJson("b", "x"), PodJson("a", "y"), PodJson("a", "x")]);

        var keys = Server.List("pods").Select(json => JsonNode.Parse(json)).Select(p => $"{p!["metadata"]!["namespace"]}/{p["metadata"]!["name"]}");

        Assert.Equal(["a/x", "a/y", "b/x"], keys);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""", "does not serve apiVersion 'v1' kind 'ConfigMap'")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{}}""", "name or generateName is required")]
    public void Bad_objects_are_refused_with_a_clear_argument_error(string json, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Server.Apply(json));

        Assert.Contains(message, error.Message);
        Assert.Equal(0L, Server.CurrentResourceVersion);
    }

    [Fact]
    public void Apply_many_names_the_first_bad_object_and_keeps_the_ones_before_it()
    {
        var error = Assert.Throws<ArgumentException>(() => Server.ApplyMany([PodJson("a", "p0"), PodJson("a", "p1"), "{", PodJson("a", "p3")]));

        Assert.StartsWith("object 2: not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Server.List("pods").Count);
    }

    [Fact]
    public void An_unknown_resource_plural_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Server.Delete("configmaps", "default", "c"));

        Assert.Contains("does not serve 'configmaps'", error.Message);
    }
}

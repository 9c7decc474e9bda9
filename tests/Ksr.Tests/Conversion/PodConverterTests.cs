using ContivKsr.Ksr.Conversion;
using ContivKsr.Ksr.Store;
using k8s.Models;
using PodModel = ContivKsr.Ksr.Model.Pod.Pod;

namespace ContivKsr.Ksr.Tests.Conversion;

public sealed class PodConverterTests
{
    [Fact]
    public void MultiContainerPodKeepsEveryContainerAndPortSortsLabelsAndCopiesOnlyContivAnnotations()
    {
        var model = PodConverter.Convert(TestData.Load<V1Pod>("pod-multi-container.json"));

        TestData.AssertJson("""
            {"name":"web-7d4b9c-x2k9p","namespace":"shop",
             "label":[{"key":"app","value":"web"},{"key":"pod-template-hash","value":"7d4b9c"},{"key":"tier","value":"frontend"}],
             "ip_address":"10.1.1.5","host_ip_address":"192.168.16.10",
             "container":[
               {"name":"nginx","port":[{"name":"http","container_port":80},
                                       {"name":"https","host_port":8443,"container_port":443,"host_ip_address":"192.168.16.10"}]},
               {"name":"dns-sidecar","port":[{"name":"dns","container_port":53,"protocol":"UDP"},
                                             {"name":"sig","container_port":9899}]},
               {"name":"log-shipper"}],
             "annotations":{"contivpp.io/custom-if":"memif1/memif","contivpp.io/microservice-label":"web"},
             "labels":{"app":"web","pod-template-hash":"7d4b9c","tier":"frontend"}}
            """, model);
    }

    [Fact]
    public void SctpPortIsWrittenAsTcpBecauseTheSchemaHasNoSctp()
    {
        var model = PodConverter.Convert(TestData.Load<V1Pod>("pod-multi-container.json"));

        var sctp = model.Container[1].Port[1];
        Assert.Equal("sig", sctp.Name);
        Assert.Equal(PodModel.Types.Container.Types.Port.Types.Protocol.Tcp, sctp.Protocol);
    }

    [Fact]
    public void HostNetworkPodHasTheHostAddressAsItsIpAndNoForeignAnnotations()
    {
        var model = PodConverter.Convert(TestData.Load<V1Pod>("pod-host-network.json"));

        TestData.AssertJson("""
            {"name":"kube-proxy-8vq2d","namespace":"kube-system",
             "label":[{"key":"controller-revision-hash","value":"6b5f8d9c4"},{"key":"k8s-app","value":"kube-proxy"}],
             "ip_address":"192.168.16.1","host_ip_address":"192.168.16.1",
             "container":[{"name":"kube-proxy","port":[{"name":"metrics","host_port":10249,"container_port":10249}]}],
             "annotations":{},"labels":{"controller-revision-hash":"6b5f8d9c4","k8s-app":"kube-proxy"}}
            """, model);
    }

    [Fact]
    public void PendingPodWithoutAddressesIsWrittenWithoutThem()
    {
        var model = PodConverter.Convert(TestData.Load<V1Pod>("pod-pending.json"));

        TestData.AssertJson("""
            {"name":"batch-job-9fz7c","namespace":"default","container":[{"name":"worker"}],"annotations":{}}
            """, model);
    }

    [Fact]
    public void LabelAndAnnotationOrderOfTheInputDoesNotChangeTheEncodedBytes()
    {
        var first = TestData.Load<V1Pod>("pod-multi-container.json");
        var second = TestData.Load<V1Pod>("pod-multi-container.json");
        second.Metadata.Labels = second.Metadata.Labels.Reverse().ToDictionary(p => p.Key, p => p.Value);
        second.Metadata.Annotations = second.Metadata.Annotations.Reverse().ToDictionary(p => p.Key, p => p.Value);
        Assert.NotEqual(first.Metadata.Labels.Keys.First(), second.Metadata.Labels.Keys.First());

        foreach (var format in Enum.GetValues<ValueFormat>())
        {
            var codec = new ValueCodec(format);
            Assert.Equal(codec.Encode(PodConverter.Convert(first)), codec.Encode(PodConverter.Convert(second)));
        }
    }
}

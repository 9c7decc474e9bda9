namespace ContivKsr.ZooKeeper.Client.Tests;

public sealed class ZkConnectStringTests
{
    [Fact]
    public void ChrootFollowsTheLastHost()
    {
        var parsed = ZkConnectString.Parse("h1:2181,h2:2182/apps//ksr/".Split(','));

        Assert.Equal([("h1", 2181), ("h2", 2182)], parsed.Servers);
        Assert.Equal("/apps/ksr", parsed.Chroot);
    }

    [Fact]
    public void PortDefaultsSchemesAndIpv6()
    {
        var parsed = ZkConnectString.Parse(["zk://h1", "[::1]:3000", "127.0.0.1:2181/"]);

        Assert.Equal([("h1", 2181), ("::1", 3000), ("127.0.0.1", 2181)], parsed.Servers);
        Assert.Equal("", parsed.Chroot);
    }

    [Theory]
    [InlineData("h1:2181/app,h2:2181")]
    [InlineData("h1:notaport")]
    [InlineData("h1:70000")]
    [InlineData(":2181")]
    [InlineData("/only-a-chroot")]
    public void BadConnectStringsAreArgumentErrors(string connectString)
    {
        Assert.Throws<ArgumentException>(() => ZkConnectString.Parse(connectString.Split(',')));
    }
}

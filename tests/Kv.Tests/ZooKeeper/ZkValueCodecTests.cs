using ContivKsr.Kv.ZooKeeper;

namespace ContivKsr.Kv.Tests.ZooKeeper;

/// <summary>How the store tells keys from parent-only znodes, byte for byte.</summary>
public sealed class ZkValueCodecTests
{
    [Theory]
    [InlineData(new byte[] { }, new byte[] { 0 })]
    [InlineData(new byte[] { 0 }, new byte[] { 0, 0 })]
    [InlineData(new byte[] { 0, 7 }, new byte[] { 0, 0, 7 })]
    [InlineData(new byte[] { (byte)'{', (byte)'}' }, new byte[] { (byte)'{', (byte)'}' })]
    public void ValuesAreStoredAsIsUnlessEmptyOrStartingWithNul(byte[] value, byte[] stored)
    {
        Assert.Equal(stored, ZkValueCodec.Encode(value));
        Assert.Equal(value, ZkValueCodec.Decode(stored));
        Assert.Null(ZkValueCodec.Decode([]));
    }
}

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>Line-oriented output keeps one item per line whatever bytes a value holds.</summary>
public sealed class OutputEscapingTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)' ', (byte)'b' }, "a b")]
    [InlineData(new byte[] { (byte)'a', (byte)'\n', (byte)'b' }, "a\\nb")]
    [InlineData(new byte[] { (byte)'\\' }, "\\\\")]
    [InlineData(new byte[] { 0xff, (byte)'x' }, "\\xffx")]
    [InlineData(new byte[] { 0xc3, 0xa9 }, "é")]
    [InlineData(new byte[] { 0x01 }, "\\u0001")]
    public void ValuesAreEscapedOntoOneLine(byte[] value, string expected)
    {
        Assert.Equal(expected, OutputWriter.EscapeValue(value));
    }
}

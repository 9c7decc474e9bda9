using System.Text;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.FakeKube;

internal static class HttpJson
{
    public static async Task WriteAsync(HttpContext context, int statusCode, byte[] json)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext context, KubeApiException error) =>
        WriteAsync(context, error.Code, KubeStatus.Failure(error));

    public static void Write(System.IO.Pipelines.PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public static void Write(System.IO.Pipelines.PipeWriter writer, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        writer.Advance(bytes.Length);
    }
}

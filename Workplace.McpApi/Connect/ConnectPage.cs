using System.Net;
using System.Text;

namespace Workplace.McpApi.Connect;

/// <summary>The small pages the browser of a connect flow ends on: what happened and what to do, never a stack trace.</summary>
public static class ConnectPage
{
    public static IResult Connected(string title) =>
        Page(StatusCodes.Status200OK, $"{title} is connected", $"{title} is connected. Return to your agent and ask again.");

    public static IResult Refused(string heading, string message, int status = StatusCodes.Status400BadRequest) =>
        Page(status, heading, message);

    private static PageResult Page(int status, string heading, string message)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(WebUtility.HtmlEncode(heading)).Append(" · Workplace</title></head>")
            .Append("<body style=\"font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem\">")
            .Append("<h1>").Append(WebUtility.HtmlEncode(heading)).Append("</h1>")
            .Append("<p>").Append(WebUtility.HtmlEncode(message)).Append("</p></body></html>")
            .ToString();
        return new PageResult(status, html);
    }

    private sealed class PageResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            // These pages follow URLs that carry a ticket or an authorization code: keep them out of caches and referrers.
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(html, context.RequestAborted);
        }
    }
}

using System.Diagnostics;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Connectors;

/// <summary>
/// The real service process, as an operator starts it: a bad signing key stops it at start with a message that
/// says what to set. (In-process hosts surface start-up failures racily; the process's exit and output do not.)
/// </summary>
public sealed class ConnectorsStartupTests
{
    [Theory]
    [InlineData("", "Internal:SigningKey is not set")]
    [InlineData("c2hvcnQ=", "at least 32 bytes")]
    [InlineData("not base64!", "must be base64")]
    public async Task Start_WithoutAUsableSigningKey_RefusesWithAClearMessage(string key, string message)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { BuiltProject.Assembly("Workplace.Connectors") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Internal__SigningKey"] = key;
        start.Environment["Sources__Files__Root"] = Path.GetTempPath();
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment.Remove("ConnectionStrings__cache");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Connectors kept running with signing key '{key}'; it must refuse to start.");
        }
        var text = await output + await error;

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }
}

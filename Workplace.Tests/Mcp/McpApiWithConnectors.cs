using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>
/// The real Connectors app serving a temp folder of documents, and the real McpApi app wired to it with the same
/// internal signing key: the search path end to end over loopback HTTP.
/// </summary>
public sealed class McpApiWithConnectors : IAsyncLifetime
{
    /// <summary>Below the ledger's length, so include_content has to cut it.</summary>
    public const int MaxContentChars = 10_000;

    public string Root { get; } = Directory.CreateTempSubdirectory("mcpapi-files-").FullName;
    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string LongText { get; } = "# Lighthouse ledger\n\n" + string.Join("\n\n",
        Enumerable.Range(0, 400).Select(i => string.Create(CultureInfo.InvariantCulture, $"Entry {i}: the lighthouse keeper logged fog, ships and budget.")));

    private ConnectorsApp? _connectors;

    public McpApiFactory? McpApiOrNull { get; private set; }

    public McpApiFactory McpApi => McpApiOrNull ?? throw new InvalidOperationException("The graph has not started.");

    public Uri ConnectorsUrl { get; private set; } = null!;

    public Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(Root, "travel-policy.md"), "# Travel policy\n\nBook economy flights for trips under six hours. Hotels up to the city cap.\n");
        File.WriteAllText(Path.Combine(Root, "expenses.md"), "# Expenses\n\nSubmit travel receipts within thirty days.\n");
        File.WriteAllText(Path.Combine(Root, "ledger.md"), LongText);
        File.WriteAllText(Path.Combine(Root, "ephemeral-heron.md"), "# Heron sighting\n\nA grey heron was seen by the pond.\n");

        _connectors = ConnectorsApp.Start(Root, Key, ("Logging:LogLevel:Default", "Warning"));
        ConnectorsUrl = _connectors.BaseAddress;

        McpApiOrNull = new Wired(ConnectorsUrl.ToString().TrimEnd('/'), Key);
        _ = McpApi.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (McpApiOrNull is not null)
        {
            await McpApiOrNull.DisposeAsync();
        }
        if (_connectors is not null)
        {
            await _connectors.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
    }

    private sealed class Wired(string connectorsUrl, string key) : McpApiFactory
    {
        public override string ConnectorsUrl => connectorsUrl;

        public override string SigningKey => key;

        protected override void ConfigureTestHost(IWebHostBuilder builder) =>
            builder.UseSetting("Search:MaxContentChars", MaxContentChars.ToString(CultureInfo.InvariantCulture));
    }
}

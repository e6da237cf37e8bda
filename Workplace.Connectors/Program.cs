using Workplace.Connectors.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConnectorsRedis();
builder.AddConnectorApi();
builder.AddConnectorSources();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapConnectorApi();
app.MapConnectionsApi();

app.Run();

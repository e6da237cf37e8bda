using Workplace.Connectors.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConnectorApi();
builder.AddConnectorSources();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapConnectorApi();

app.Run();

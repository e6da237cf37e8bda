using Workplace.Emulators.Descope;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Google;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Notion;

// The providers Workplace reaches (and Descope, which can hold users' provider tokens), emulated on their real wire formats with a sample workspace of Halcyon Robotics:
// one app, one port, one path base per provider. The AppHost starts it in Development when no real provider is
// configured; the tests start it in process.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddFaults();
builder.AddGoogleEmulator();
builder.AddGraphEmulator();
builder.AddNotionEmulator();
builder.AddDescopeEmulator();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapFaultAdmin();
app.MapGoogleEmulator();
app.MapGraphEmulator();
app.MapNotionEmulator();
app.MapDescopeEmulator();

app.Run();

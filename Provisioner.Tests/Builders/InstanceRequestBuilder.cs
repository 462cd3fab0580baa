using System.Text.Json.Nodes;

namespace Provisioner.Tests.Builders;

/// <summary>The seed's example request, as JSON a test can change one field of.</summary>
public static class InstanceRequestBuilder
{
    public static JsonObject Seed(string userId, string provider = "AZURE", string instanceType = "Standard_NC6", string region = "eastus") => new()
    {
        ["userId"] = userId,
        ["taskId"] = "task-456",
        ["config"] = new JsonObject
        {
            ["provider"] = provider,
            ["instanceType"] = instanceType,
            ["region"] = region,
            ["diskSizeGB"] = 100,
            ["autoTerminateMinutes"] = 60,
            ["tags"] = new JsonObject { ["environment"] = "production", ["project"] = "medical-analysis" },
        },
        ["purpose"] = "Medical Document Analysis",
    };

    /// <summary>A user id no other test uses, so a test sees only its own instances.</summary>
    public static string UniqueUser(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}"[..24];
}

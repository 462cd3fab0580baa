using Provisioner.Core.Persistence;

namespace Provisioner.Tests.Unit.Core.Persistence;

public sealed class SnakeCaseColumnsTests
{
    [Theory]
    [InlineData("Id", "id")]
    [InlineData("UserId", "user_id")]
    [InlineData("DiskSizeGB", "disk_size_gb")]
    [InlineData("CloudInstanceId", "cloud_instance_id")]
    [InlineData("PublicIp", "public_ip")]
    public void ToSnakeCase_SplitsWordsAndKeepsAcronymsTogether(string name, string expected) =>
        SnakeCaseColumns.ToSnakeCase(name).Should().Be(expected);
}

using Provisioner.Api.Instances;

namespace Provisioner.Tests.Unit.Api.Instances;

public sealed class ListCursorTests
{
    [Fact]
    public void Encode_ThenDecode_GivesTheSamePosition()
    {
        var cursor = new ListCursor(new DateTimeOffset(2026, 11, 22, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567), Guid.NewGuid());

        ListCursor.TryDecode(cursor.Encode(), out var decoded).Should().BeTrue();

        decoded.Should().Be(cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("MTIz")]
    [InlineData("LTE6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")]
    public void TryDecode_Garbage_IsFalse(string value) =>
        ListCursor.TryDecode(value, out _).Should().BeFalse();
}

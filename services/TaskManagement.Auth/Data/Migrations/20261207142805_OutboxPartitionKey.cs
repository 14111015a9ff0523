using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaskManagement.Auth.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxPartitionKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "partition_key",
                table: "outbox_messages",
                type: "varchar(100)",
                maxLength: 100,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_partition",
                table: "outbox_messages",
                columns: new[] { "partition_key", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_partition",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "partition_key",
                table: "outbox_messages");
        }
    }
}

package it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database on the PostgreSQL that the README's test command starts, for nodes that run on
 * PostgreSQL (DB_TYPE=postgres); dropped on close.
 */
public final class PostgresDatabase implements AutoCloseable {
    public static final String HOST = System.getProperty("sluice.it.pg.host", "localhost");
    public static final String PORT = System.getProperty("sluice.it.pg.port", "5432");
    public static final String USER = System.getProperty("sluice.it.pg.user", "sluice");
    public static final String PASSWORD = System.getProperty("sluice.it.pg.password", "sluice");

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    public static PostgresDatabase create() {
        String name = "sluice_it_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return new PostgresDatabase(name);
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, PASSWORD);
    }

    public String name() {
        return name;
    }

    public Connection connect() throws SQLException {
        return connect(name);
    }

    /** The environment that points a node at this database. */
    public Map<String, String> environment() {
        return Map.of("DB_TYPE", "postgres", "DB_HOST", HOST, "DB_PORT", PORT, "DB_NAME", name, "DB_USER", USER,
                "DB_PASSWORD", PASSWORD);
    }

    @Override
    public void close() {
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }
}

package dev.weft.http;

/**
 * A request an {@link HttpServer} cannot serve as sent: the status it answers (400, 413, 431, 501, 505) and why.
 * The server answers it and closes the connection, since it cannot tell where the next request would begin.
 */
final class BadRequestException extends java.io.IOException {
    private final int status;

    BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}

"""The book booth: children borrow and return phone-booth books with RFID cards."""

"""MFRC522 register addresses, commands and bit masks (NXP MFRC522 datasheet rev. 3.9, section 9).

Shared by the emulated chip and the reader so both speak of the same bits by name.
"""

# --- registers -------------------------------------------------------------------------------
COMMAND = 0x01
COM_IEN = 0x02
DIV_IEN = 0x03
COM_IRQ = 0x04
DIV_IRQ = 0x05
ERROR = 0x06
STATUS1 = 0x07
STATUS2 = 0x08
FIFO_DATA = 0x09
FIFO_LEVEL = 0x0A
WATER_LEVEL = 0x0B
CONTROL = 0x0C
BIT_FRAMING = 0x0D
COLL = 0x0E
MODE = 0x11
TX_MODE = 0x12
RX_MODE = 0x13
TX_CONTROL = 0x14
TX_ASK = 0x15
TX_SEL = 0x16
RX_SEL = 0x17
RX_THRESHOLD = 0x18
DEMOD = 0x19
MF_TX = 0x1C
SERIAL_SPEED = 0x1F
CRC_RESULT_H = 0x21
CRC_RESULT_L = 0x22
MOD_WIDTH = 0x24
RF_CFG = 0x26
GS_N = 0x27
CW_GS_P = 0x28
MOD_GS_P = 0x29
T_MODE = 0x2A
T_PRESCALER = 0x2B
T_RELOAD_H = 0x2C
T_RELOAD_L = 0x2D
T_COUNTER_H = 0x2E
T_COUNTER_L = 0x2F
TEST_PIN_EN = 0x33
TEST_BUS = 0x35
AUTO_TEST = 0x36
VERSION = 0x37
TEST_ADC = 0x3B

# --- commands (CommandReg bits 3..0) ---------------------------------------------------------
CMD_IDLE = 0x00
CMD_MEM = 0x01
CMD_GENERATE_RANDOM_ID = 0x02
CMD_CALC_CRC = 0x03
CMD_TRANSMIT = 0x04
CMD_NO_CMD_CHANGE = 0x07
CMD_RECEIVE = 0x08
CMD_TRANSCEIVE = 0x0C
CMD_MF_AUTHENT = 0x0E
CMD_SOFT_RESET = 0x0F
COMMAND_RCV_OFF = 0x20
COMMAND_POWER_DOWN = 0x10

# --- ComIrqReg / DivIrqReg -------------------------------------------------------------------
IRQ_SET = 0x80
IRQ_TX = 0x40
IRQ_RX = 0x20
IRQ_IDLE = 0x10
IRQ_HI_ALERT = 0x08
IRQ_LO_ALERT = 0x04
IRQ_ERR = 0x02
IRQ_TIMER = 0x01
DIV_MFIN_ACT = 0x10
DIV_CRC = 0x04

# --- ErrorReg --------------------------------------------------------------------------------
ERR_WR = 0x80
ERR_TEMP = 0x40
ERR_BUFFER_OVFL = 0x10
ERR_COLL = 0x08
ERR_CRC = 0x04
ERR_PARITY = 0x02
ERR_PROTOCOL = 0x01

# --- other bits ------------------------------------------------------------------------------
STATUS1_CRC_OK = 0x40
STATUS1_CRC_READY = 0x20
STATUS1_IRQ = 0x10
STATUS1_T_RUNNING = 0x08
STATUS1_HI_ALERT = 0x02
STATUS1_LO_ALERT = 0x01
STATUS2_CRYPTO1_ON = 0x08
FIFO_FLUSH = 0x80
CONTROL_T_STOP_NOW = 0x80
CONTROL_T_START_NOW = 0x40
BIT_FRAMING_START_SEND = 0x80
COLL_VALUES_AFTER_COLL = 0x80
COLL_POS_NOT_VALID = 0x20
T_MODE_T_AUTO = 0x80
T_MODE_T_AUTO_RESTART = 0x10
DEMOD_T_PRESCAL_EVEN = 0x10
TX_CONTROL_ANTENNA = 0x03
CRC_EN = 0x80  # TxModeReg / RxModeReg

FIFO_SIZE = 64
CLOCK_HZ = 13_560_000
KNOWN_VERSIONS = (0x91, 0x92)  # MFRC522 v1.0 and v2.0
